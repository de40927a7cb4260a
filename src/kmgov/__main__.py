from kmgov.cli import main

main()
