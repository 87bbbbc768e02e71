"""Telegram update handlers, by who sends the update (bot.telegram.app registers them):

- gate: the rate limit before everything else;
- citizen: a citizen's private chat with the bot;
- ticket: a citizen whose ticket is open (their side of the relay);
- counsellor: the counsellors' forum group;
- admin: /reload, /stats, the index watcher;
- errors: the error handler.
"""
