from dxreport.cli import run

if __name__ == "__main__":  # not when a helper process started by spawn imports it
    run()
