"""The domain: functions that hold the rules; they flush, never commit."""
