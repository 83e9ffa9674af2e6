"""Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1), sitemaps and discovery markup for machines.

The views decide what goes in (`scopes`, always through `Release.objects.public(now)`); the
formatters decide how one release reads as an entry (`entries`); the generators decide how a
feed is written (`generators`), following Django's syndication framework.
"""
