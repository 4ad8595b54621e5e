from __future__ import annotations

from labcheck.cli import main

raise SystemExit(main())
