"""Live path: a feed of tracking records and events, a scorer that rates shots at release, brokers."""
