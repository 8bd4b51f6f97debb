"""HTTP layer: thin blueprints that parse input, call one service, and render the answer."""
