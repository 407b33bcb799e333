"""Money and time: cost assumptions, token costs, break-even, scaling and ROI."""
