"""Developer tools that are not part of the shipped pipeline package: the sample generator."""
