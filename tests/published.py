"""Figures published in the press release of 令和8年2月4日 (data as of 2025-12).

Transcribed by hand from the appendix (資料編) tables and the dashboard tiles
of the seed press release (shared/seeds/000_6297d17e57bf2a72.txt), independently of the dataset in
data/aomori, so that tests can check that the computed pack reproduces them.
Strings are exactly as displayed: rates with one decimal and no unit (the AI
indicator's "100%" is written "100.0"), values with thousands separators and
their unit, negatives with ▲.

PUBLISHED[indicator_id] = prev_rate (C), curr_rate (E), prev_value (B), curr_value (D)
KPIS[kpi_id] = KPI at 2025.9 (prev), at 2025.12 (curr) and 前期差 in points (diff)
"""

FIELD_NAMES = {
    "industry": "産業・しごと",
    "living": "暮らし・まち",
    "admin": "行政経営",
}

KPI_NAMES = {
    "industry-1": "県内企業のDXの推進状況",
    "industry-2": "あらゆる産業分野のDXの推進状況",
    "industry-3": "多様な働き方の実現状況",
    "living-1": "こども・学校教育のDXの推進状況",
    "living-2": "安全・安心な社会の実現状況",
    "admin-1": "DXによる住民サービス向上の達成状況",
    "admin-2": "業務の効率化に向けたDXの推進状況",
    "admin-3": "デジタル人財の育成状況",
}

KPIS = {
    "industry-1": {"prev": "54.9", "curr": "63.2", "diff": "+8.3"},
    "industry-2": {"prev": "53.4", "curr": "54.2", "diff": "+0.8"},
    "industry-3": {"prev": "31.1", "curr": "40.0", "diff": "+8.9"},
    "living-1": {"prev": "62.6", "curr": "67.2", "diff": "+4.6"},
    "living-2": {"prev": "52.0", "curr": "54.8", "diff": "+2.8"},
    "admin-1": {"prev": "46.6", "curr": "63.6", "diff": "+17.0"},
    "admin-2": {"prev": "62.0", "curr": "69.6", "diff": "+7.6"},
    "admin-3": {"prev": "44.1", "curr": "46.3", "diff": "+2.2"},
}

PUBLISHED = {
    # 産業・しごと KPI① 県内企業のDXの推進状況
    "consult-count": {"prev_rate": "58.1", "curr_rate": "58.1", "prev_value": "218件", "curr_value": "218件"},
    "sme-talent-share": {"prev_rate": "44.0", "curr_rate": "46.8", "prev_value": "35.2%", "curr_value": "37.4%"},
    "dx-strategy-firms": {"prev_rate": "40.0", "curr_rate": "40.0", "prev_value": "24社", "curr_value": "24社"},
    "talent-exchange": {"prev_rate": "46.4", "curr_rate": "84.9", "prev_value": "209人", "curr_value": "382人"},
    "training-firms": {"prev_rate": "86.0", "curr_rate": "86.0", "prev_value": "129社", "curr_value": "129社"},
    # 産業・しごと KPI② あらゆる産業分野のDXの推進状況
    "rice-labour-cut": {"prev_rate": "22.0", "curr_rate": "22.0", "prev_value": "3.3%", "curr_value": "3.3%"},
    "smart-machines": {"prev_rate": "89.3", "curr_rate": "89.3", "prev_value": "2,679台", "curr_value": "2,679台"},
    "sns-followers": {"prev_rate": "72.4", "curr_rate": "75.5", "prev_value": "108,651人", "curr_value": "113,300人"},
    "fan-platform-groups": {"prev_rate": "30.0", "curr_rate": "30.0", "prev_value": "3団体", "curr_value": "3団体"},
    # 産業・しごと KPI③ 多様な働き方の実現状況
    "women-digital-skills": {"prev_rate": "55.6", "curr_rate": "55.6", "prev_value": "25人", "curr_value": "25人"},
    "hours-per-wage-cut": {"prev_rate": "0.0", "curr_rate": "26.7", "prev_value": "▲0.3%", "curr_value": "3.9%"},
    "worker-telework": {"prev_rate": "37.7", "curr_rate": "37.7", "prev_value": "7.2%", "curr_value": "7.2%"},
    # 暮らし・まち KPI① こども・学校教育のDXの推進状況
    "teacher-ict": {"prev_rate": "78.1", "curr_rate": "77.4", "prev_value": "78.1%", "curr_value": "77.4%"},
    "school-admin-system": {"prev_rate": "54.8", "curr_rate": "64.3", "prev_value": "54.8%", "curr_value": "64.3%"},
    "mynaportal-26": {"prev_rate": "55.0", "curr_rate": "60.0", "prev_value": "55.0%", "curr_value": "60.0%"},
    # 暮らし・まち KPI② 安全・安心な社会の実現状況
    "remote-medical": {"prev_rate": "86.0", "curr_rate": "86.0", "prev_value": "74件", "curr_value": "74件"},
    "transit-open-data": {"prev_rate": "28.6", "curr_rate": "28.6", "prev_value": "2事業者", "curr_value": "2事業者"},
    "ict-construction": {"prev_rate": "56.7", "curr_rate": "61.7", "prev_value": "68件", "curr_value": "74件"},
    "bridge-ai": {"prev_rate": "41.9", "curr_rate": "41.9", "prev_value": "41.9%", "curr_value": "41.9%"},
    "police-app": {"prev_rate": "66.4", "curr_rate": "68.3", "prev_value": "19,924回", "curr_value": "20,496回"},
    "digital-divide": {"prev_rate": "32.5", "curr_rate": "42.5", "prev_value": "13市町村", "curr_value": "17市町村"},
    # 行政経営 KPI① DXによる住民サービス向上の達成状況
    "online-pref": {"prev_rate": "60.5", "curr_rate": "77.5", "prev_value": "22.9%", "curr_value": "29.3%"},
    "online-muni": {"prev_rate": "34.3", "curr_rate": "38.2", "prev_value": "23.5%", "curr_value": "26.1%"},
    "paperless-counter": {"prev_rate": "45.0", "curr_rate": "75.0", "prev_value": "18市町村", "curr_value": "30市町村"},
    # 行政経営 KPI② 業務の効率化に向けたDXの推進状況
    "paper-reduction": {"prev_rate": "11.2", "curr_rate": "21.4", "prev_value": "9,896,962枚", "curr_value": "18,865,394枚"},
    "muni-telework": {"prev_rate": "74.8", "curr_rate": "87.3", "prev_value": "45.0%", "curr_value": "52.5%"},
    "muni-ai": {"prev_rate": "100.0", "curr_rate": "100.0", "prev_value": "60.0%", "curr_value": "60.0%"},
    # 行政経営 KPI③ デジタル人財の育成状況
    "dx-promoters": {"prev_rate": "18.8", "curr_rate": "18.8", "prev_value": "188人", "curr_value": "188人"},
    "staff-elearning": {"prev_rate": "20.7", "curr_rate": "20.7", "prev_value": "769人", "curr_value": "769人"},
    "muni-staff-training": {"prev_rate": "92.9", "curr_rate": "99.5", "prev_value": "70.0%", "curr_value": "75.0%"},
}
