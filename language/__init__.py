"""Pure understanding of the words people type: no network, no model, no Telegram, no database.

A floor above content/ and timekeeping/, below storage/: handlers read a message with it and
hand the result to a storage use case."""
