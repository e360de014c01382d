"""Staff mode on the device: the PIN gate, the corner gesture and the actions staff take."""
