"""Personal data (issue 21, UU No. 27 Tahun 2022): a person's own data, its erasure, the
retention of complaints and deliveries, and the log of who read what."""
