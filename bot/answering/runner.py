"""Answering questions off the event loop: worker threads that batch what waits.

One worker per core (docs/performance.md): an encoding runs on one thread
and releases the GIL, so two workers keep two cores busy, where one left the
bot at 80 questions/s with a core to spare. The priority queue lets a message
in danger overtake a backlog of ordinary questions.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import queue
import threading
from contextlib import suppress

from bot.answering.pipeline import Pipeline, Question, Reply

BATCH_SIZE = 16  # questions answered per encoder call under load


class PipelineRunner:
    """Worker threads answer questions, urgent ones first, then in arrival order,
    each taking every question waiting at that moment as one batch.

    Args:
        pipeline: what answers (Pipeline.answer_many).
        workers: threads; 0 = one per core.
    """

    def __init__(self, pipeline: Pipeline, workers: int = 0):
        self.pipeline = pipeline
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._workers = workers or os.cpu_count() or 1
        for number in range(self._workers):
            worker = threading.Thread(target=self._work, name=f"pipeline-{number}", daemon=True)
            worker.start()

    async def answer(
        self,
        text: str,
        hint: str,
        unanswered: int,
        urgent: bool,
        previous_entry: str | None = None,
    ) -> Reply:
        """The pipeline's reply, awaited on the caller's event loop (the arguments are
        Question's; `urgent` puts the message before the others waiting).

        Raises:
            whatever the pipeline raised for the batch this question was in.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Reply] = loop.create_future()
        job = (Question(text, hint, unanswered, previous_entry), loop, future)
        self._queue.put((0 if urgent else 1, next(self._order), job))
        return await future

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            # Questions that arrived while the last batch was being answered go
            # together through one encoder call (Pipeline.answer_many).
            while len(batch) < BATCH_SIZE:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            jobs = [job for _, _, job in batch if job is not None]
            if jobs:
                self._answer(jobs)
            if len(jobs) < len(batch):  # the close() marker
                return

    def _answer(self, jobs: list[tuple]) -> None:
        questions = [question for question, _, _ in jobs]
        try:
            outcomes = [(reply, None) for reply in self.pipeline.answer_many(questions)]
        except Exception as error:  # handed to every waiting handler
            outcomes = [(None, error)] * len(jobs)
        for (_, loop, future), outcome in zip(jobs, outcomes, strict=True):
            with suppress(RuntimeError):  # the loop may have closed meanwhile
                loop.call_soon_threadsafe(_settle, future, *outcome)

    def close(self) -> None:
        """Stop the workers once the questions already queued are answered."""
        for _ in range(self._workers):
            self._queue.put((9, next(self._order), None))


def _settle(future: asyncio.Future, result: Reply | None, error: Exception | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
