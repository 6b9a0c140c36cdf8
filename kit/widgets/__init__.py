"""Widgets the screens share: the key bar and the area timer."""
