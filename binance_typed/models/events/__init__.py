"""Event models of the market streams and the user data stream."""
