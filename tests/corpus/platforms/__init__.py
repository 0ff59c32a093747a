"""Real e-commerce platforms' own email templates, rendered with their own translations.

See README.md here: which platform, which commit, which license, and each
platform's first score by an analyser that had never seen it.
"""
