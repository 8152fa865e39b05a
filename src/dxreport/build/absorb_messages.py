"""Every message of ``dxreport absorb``, for the office's staff: what is
wrong, where, and what to do. Written in English for the catalogue
(locale/ja/LC_MESSAGES/dxreport.po holds the Japanese), one entry per message."""

from __future__ import annotations

from dxreport.i18n import _


def _messages() -> dict[str, str]:
    return {
        'missing': _('File not found: check the path of the proofread draft (.docx).'),
        'unreadable': _('The file cannot be read ({detail}); close it in any other program and run again.'),
        'encrypted': _('A password-protected (encrypted) file cannot be read: open it in Word, remove the password (File → Info → Protect Document) and save it again.'),
        'not_docx': _('Not a Word document (.docx): give a draft that dxreport build wrote.'),
        'not_word': _('The Word document (.docx) has no body: give a draft that dxreport build wrote.'),
        'corrupt': _('The file is damaged and cannot be read ({detail}); check that Word opens it and, if so, save it again and run again.'),
        'too_large': _('A part of the file ({detail}) is too large to read: check that this is a draft dxreport build wrote.'),
        'not_ours': _('Not a draft dxreport wrote (its document properties do not say where it came from): give a draft that dxreport build wrote.'),
        'tags_lost': _('Every content control has lost its tag, as a save in a program other than Word (LibreOffice) does, and they no longer match the draft as built one by one (a control deleted, added or moved): give the draft as proofread in Word, or copy the corrections into a new draft.'),
        'other_dataset': _("This draft was made from the data of 「{theirs}」, not from the data given (「{ours}」): give the draft's own dataset folder."),
        'other_period': _("The data of this draft's period {period} (periods/{period}.yaml) is missing: give the draft's own dataset folder."),
        'wrong_period': _('This draft is of the period {period}, but the period file of {named} was given: give periods/{period}.yaml or the dataset folder.'),
        'figure_changed': _('{place}: the computed figure 「{old}」 was overtyped as 「{new}」. Figures are computed from the values and cannot be changed in the draft: point out a wrong figure in a comment, and correct the value in the data (YAML).'),
        'control_deleted': _("{place}: the content control of 「{old}」 ({origin}) was deleted: undo the deletion with Word's tracked changes, or proofread a new draft."),
        'control_added': _('{place}: a content control the draft did not have (tag 「{tag}」): check that no tag was rewritten or copied, and undo it.'),
        'table_changed': _("{place}: the table's structure (rows, columns, merged cells) is not as it was built: undo the added, deleted or merged rows and columns."),
        'tables_count': _('The draft has {found} tables, not the {expected} it was built with: undo the added or deleted tables.'),
        'conflict': _('{origin}: the same text was corrected differently in several places of the draft ({texts}): make them one.'),
        'invalid_after': _('Taking this in would make the data invalid: {problem}. Correct that text in the draft.'),
        'change': _('changed {file}:{line} {field}'),
        'change_no_line': _('changed {file} {field}'),
        'old': _('  - {text}'),
        'new': _('  + {text}'),
        'at': _('  where: {place}'),
        'revision_ins': _('  tracked insertion: {author} {date} 「{text}」'),
        'revision_del': _('  tracked deletion: {author} {date} 「{text}」'),
        'untracked': _('  (a direct edit, without tracked changes)'),
        'comment': _('comment {author} {date}: {text}'),
        'comment_on': _('  on: 「{anchored}」 ({origin})'),
        'comment_on_text': _('  on: 「{anchored}」'),
        'origin_figure': _('a computed figure'),
        'summary': _('{changes} change(s), {comments} comment(s) ({draft}).'),
        'to_apply': _('Run again with --apply to write the changes into the data (YAML).'),
        'nothing': _('No text differs from the data.'),
        'wrote': _('wrote {file}'),
    }


def say(key: str, **values: object) -> str:
    return _messages()[key].format(**values)
