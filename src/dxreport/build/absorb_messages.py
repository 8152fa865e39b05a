"""Every message of ``dxreport absorb``, in Japanese for the office's staff: what
is wrong, where, and what to do. Kept here, one entry per message, so that they
move into a gettext catalogue as they are."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # The file itself
    "missing": "ファイルが見つかりません。校正済みの下書き（.docx）のパスを確認してください。",
    "unreadable": "ファイルを読み込めません（{detail}）。ほかのアプリで開いていれば閉じてから、もう一度実行してください。",
    "encrypted": "パスワードで保護（暗号化）されたファイルは読み込めません。Wordで開き、［ファイル］→［情報］→［文書の保護］でパスワードを解除して保存し直してください。",
    "not_docx": "Word文書（.docx）ではありません。dxreport build が作成した下書き（.docx）を指定してください。",
    "not_word": "Word文書（.docx）の本文がありません。dxreport build が作成した下書き（.docx）を指定してください。",
    "corrupt": "ファイルが壊れていて読み込めません（{detail}）。Wordで開けるか確認し、開ける場合は保存し直してから実行してください。",
    "too_large": "ファイルの一部（{detail}）が大きすぎるため読み込めません。dxreport build が作成した下書きか確認してください。",
    "not_ours": "dxreport が作成した下書きではありません（文書のプロパティに作成元の記録がありません）。dxreport build が作成した下書き（.docx）を指定してください。",
    "tags_lost": "内容コントロールの目印（タグ）がすべて失われています。LibreOffice などWord以外のアプリで保存すると失われます。Wordで校正した下書きを指定するか、校正内容を新しい下書きに写してください。",
    "other_dataset": "この下書きは「{theirs}」のデータから作成されたもので、指定されたデータ（「{ours}」）のものではありません。下書きに合ったデータのフォルダを指定してください。",
    "other_period": "この下書きの時点 {period} のデータ（periods/{period}.yaml）がありません。下書きに合ったデータのフォルダを指定してください。",
    "wrong_period": "この下書きは {period} 時点のものですが、{named} の期のファイルが指定されています。periods/{period}.yaml かデータのフォルダを指定してください。",
    # What a reviewer must not do
    "figure_changed": "{place}：計算値「{old}」が「{new}」に書き換えられています。計算値は入力値から計算されるため、下書きでは変更できません。数値が違う場合はコメントで指摘し、元データ（YAML）の入力値を直してください。",
    "control_deleted": "{place}：「{old}」（{origin}）の内容コントロールが削除されています。Wordで変更履歴を確認してこの削除を元に戻すか、新しい下書きで校正し直してください。",
    "control_added": "{place}：作成時になかった内容コントロール（タグ「{tag}」）があります。タグを書き換えたりコピーしたりしていないか確認し、元に戻してください。",
    "table_changed": "{place}：表の構造（行・列・セルの結合）が作成時と変わっています。行や列の追加・削除・結合を元に戻してください。",
    "tables_count": "表の数が作成時（{expected}）と違います（{found}）。追加・削除した表を元に戻してください。",
    "conflict": "{origin}：同じ項目が下書きの複数の場所で違う文言に直されています（{texts}）。どちらか一方に揃えてください。",
    "invalid_after": "取り込むとデータに問題が生じます：{problem}。下書きの該当する文言を直してください。",
    # The report
    "change": "変更 {file}:{line} {field}",
    "change_no_line": "変更 {file} {field}",
    "old": "  - {text}",
    "new": "  + {text}",
    "at": "  場所：{place}",
    "revision_ins": "  変更履歴（挿入）：{author} {date}「{text}」",
    "revision_del": "  変更履歴（削除）：{author} {date}「{text}」",
    "untracked": "  （変更履歴なしの直接の修正）",
    "comment": "コメント {author} {date}：{text}",
    "comment_on": "  対象：「{anchored}」（{origin}）",
    "comment_on_text": "  対象：「{anchored}」",
    "origin_figure": "計算値",
    "summary": "変更 {changes} 件、コメント {comments} 件（{draft}）。",
    "to_apply": "--apply を付けて実行すると、変更を元データ（YAML）に書き込みます。",
    "nothing": "元データと違う文言はありません。",
    "wrote": "書き込みました：{file}",
}


def say(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
