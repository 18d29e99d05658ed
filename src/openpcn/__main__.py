from openpcn.cli.main import main

if __name__ == "__main__":  # not when a spawned solver process imports it
    main()
