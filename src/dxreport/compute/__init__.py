"""Computing the figures: rates, KPI means and 前期差 with Decimal and 四捨五入."""
