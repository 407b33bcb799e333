"""Money and time: cost assumptions and their two named scenarios, token costs, break-even,
serving, scaling and ROI."""
