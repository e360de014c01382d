"""Device drivers, each chosen by a URL in config through devices.factory.open_device."""
