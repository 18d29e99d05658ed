"""Thin views: they decide nothing about access (the middleware does) and compute nothing."""
