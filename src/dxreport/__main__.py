from dxreport.cli import main

main()
