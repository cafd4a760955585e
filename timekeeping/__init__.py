"""Pure rules of time and calendar: no I/O, no database, no Telegram."""
