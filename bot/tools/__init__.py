"""What the bot computes for a person beyond the knowledge base; no Telegram."""
