"""What schedules and sends due messages: the dispatcher and its repeating tick (service),
the sender lock (leader), the composers of each kind of delivery and what they share."""
