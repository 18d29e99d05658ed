from openpcn.cli import main

main()
