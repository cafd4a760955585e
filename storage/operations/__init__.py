"""The running bot's own records: updates handled once, the dispatcher's heartbeat and
housekeeping, what `p2k2 status` shows, and what a send's outcome changes (a blocked user, a
group the bot left, a chat that became a supergroup)."""
