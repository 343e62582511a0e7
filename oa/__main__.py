from oa.cli import main

main()
