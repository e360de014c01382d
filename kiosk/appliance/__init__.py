"""The kiosk as one object: the composition root (`core.Kiosk`) and the devices it owns
(`devices.KioskDevices`). Plain Python; screens/app.py holds a Kiosk and binds to it."""
