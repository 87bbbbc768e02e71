"""Answering one message: bot -> nlu -> knowledge_base -> bot, without Telegram.

    pipeline = Pipeline(knowledge_base, rasa_client, Thresholds.from_settings(settings))
    reply = pipeline.answer("rogor vimushao polonetshi?")   # Reply: lang, action, reply, ...

The Telegram bot, the local chat, `migbot ask` and `migbot eval` all call
`Pipeline.answer`/`answer_many`, so their figures are the bot's.
"""

from bot.answering.pipeline import Pipeline, Question, Reply, format_answer, format_emergency
from bot.answering.router import Action, Thresholds

__all__ = [
    "Action",
    "Pipeline",
    "Question",
    "Reply",
    "Thresholds",
    "format_answer",
    "format_emergency",
]
