# -*- coding: utf-8 -*-
MENU = ["caf√", "th√©"]  # expect: INPUT001
