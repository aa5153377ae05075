from revteam.cli.main import run

run()
