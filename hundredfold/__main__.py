"""`python -m hundredfold` runs the command line."""

from hundredfold.cli import main

raise SystemExit(main())
