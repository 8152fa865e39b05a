"""dxreport: one period's DX KPI dataset in, the prefecture's press pack out."""

__version__ = "0.1.0"
