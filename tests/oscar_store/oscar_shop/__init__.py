"""A minimal django-oscar shop for end-to-end tests: a real store nobody here wrote.

It is both the Django project (settings, urls) and a tiny app that holds the
``seed_store`` management command, so nothing else has to be installed.
"""
