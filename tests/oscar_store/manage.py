#!/usr/bin/env python
"""Django's command line for the test store: ``python tests/oscar_store/manage.py migrate``."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oscar_shop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
