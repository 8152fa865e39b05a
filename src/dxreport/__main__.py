from dxreport.cli import run

run()
