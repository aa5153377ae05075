from revteam.cli.start import run

run()
