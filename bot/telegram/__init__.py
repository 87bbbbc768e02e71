"""The Telegram room: the PTB Application, handlers, sending, the relay worker.

Only this room (and the composition root and the CLI above it) imports
`telegram`; it turns updates into calls on bot.answering and bot.handoff and
their results into Bot API calls.
"""
