"""Lexicon data files, one per language (``<lang>.yaml``); a package only so wheels ship them."""
