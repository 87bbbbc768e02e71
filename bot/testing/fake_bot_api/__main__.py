"""`python -m bot.testing.fake_bot_api`: see bot.testing.fake_bot_api.interactive."""

from bot.testing.fake_bot_api.interactive import main

raise SystemExit(main())
