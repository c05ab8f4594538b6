"""Strings of bulk import and export: file columns, kinds of file, why a file is refused,
the admin page's import and export tabs."""

STRINGS: dict[str, tuple[str, str]] = {
    # Columns that name records by their codes (other columns are the write side's fields)
    "field.site_code": ("采样点编码", "site code"),
    "field.hotel_code": ("酒店编码", "hotel code"),
    "field.item_code": ("物资编码", "item code"),
    "field.location_code": ("存放地点编码", "location code"),
    "field.hospital_code": ("收治医院编码", "hospital code"),
    "field.infector_case_no": ("传染源病例编号", "infector case number"),
    "field.zone_code": ("区域编码", "zone code"),
    # Kinds of file
    "transfer.kind.site-reports": ("采样点报告", "Testing-site reports"),
    "transfer.kind.hotel-reports": ("隔离酒店状态", "Hotel status"),
    "transfer.kind.stock-counts": ("库存盘点", "Stock counts"),
    "transfer.kind.cases": ("病例", "Cases"),
    "transfer.kind.zones": ("管控区域", "Control zones"),
    "import.done": (
        "已导入{kind}：共 {rows} 行，新增 {inserted}，更新 {updated}，未变 {unchanged}",
        "Imported {kind}: {rows} {rows:row|rows}, {inserted} added, {updated} updated, "
        "{unchanged} unchanged",
    ),
    "import.refused": (
        "未导入任何数据：文件中有 {count} 处问题",
        "Nothing was imported: the file has {count} {count:problem|problems}",
    ),
    # Why a file is refused
    "error.file_extension": (
        "无法导入 {name}：只接受 {allowed} 文件",
        "Cannot import {name}: only {allowed} files are accepted",
    ),
    "error.file_empty": ("文件是空的", "The file is empty"),
    "error.file_no_rows": (
        "文件只有表头，没有数据行",
        "The file has a header row but no data rows",
    ),
    "error.file_is_other": (
        "{name} 不是表格文件，而是 {what} 文件",
        "{name} is not a spreadsheet but a {what} file",
    ),
    "error.file_not_xlsx": (
        "{name} 的扩展名是 .xlsx，但内容不是 Excel 工作簿（可能是改了扩展名的 CSV）",
        "{name} is named .xlsx but is not an Excel workbook (perhaps a CSV renamed)",
    ),
    "error.file_xlsx_named_csv": (
        "{name} 的扩展名是 .csv，但内容是 Excel 工作簿：请把扩展名改为 .xlsx，或另存为 CSV",
        "{name} is named .csv but is an Excel workbook: name it .xlsx, or save it as CSV",
    ),
    "error.file_bad_xlsx": (
        "无法读取该 Excel 工作簿（{reason}）：请在 Excel 中打开后另存为 .xlsx",
        "Cannot read this Excel workbook ({reason}): open it in Excel and save it as .xlsx",
    ),
    "error.file_binary": (
        "该文件含有二进制内容，不是 CSV 文本文件",
        "The file holds binary content: it is not a CSV text file",
    ),
    "error.file_encoding": (
        "无法识别文件的编码：只接受 UTF-8（可带 BOM）或 GBK/GB18030。请在 Excel 中另存为"
        "“CSV UTF-8”",
        "Unrecognised encoding: only UTF-8 (with or without BOM) and GBK/GB18030 are "
        "accepted. Save it from Excel as 'CSV UTF-8'",
    ),
    "error.file_csv": ("CSV 格式有误：{reason}", "The CSV is malformed: {reason}"),
    "error.file_blank_header": (
        "第 1 行须是表头，每列一个列名：{column} 列的表头为空（是否有合并单元格或多行表头？）",
        "Row 1 must be the header, one name per column: column {column} has no header "
        "(merged cells, or a header of several rows?)",
    ),
    "error.file_title_row": (
        "第 1 行看起来是标题（{header}）而不是表头：请删除标题行和合并单元格，使第 1 行为列名",
        "Row 1 looks like a title ({header}), not the header: delete title rows and merged "
        "cells so that row 1 holds the column names",
    ),
    "error.file_repeated_header": (
        "{column} 列的表头“{header}”与前面的列重复",
        "Column {column}'s header '{header}' repeats an earlier column",
    ),
    "error.file_unknown_columns": (
        "不认识的列：{columns}。请使用模板中的列名（中文或英文）",
        "Unknown columns: {columns}. Use the template's headers (Chinese or English)",
    ),
    "error.file_missing_columns": (
        "缺少必需的列：{columns}",
        "Required columns are missing: {columns}",
    ),
    "error.extra_cells": (
        "该行比表头多出 {count} 个单元格",
        "The row has {count} more {count:cell|cells} than the header",
    ),
    # The admin page
    "admin.title": ("数据管理", "Data admin"),
    "admin.refused_role": (
        "只有管理员和值班员可以使用数据管理页面。",
        "Only admins and duty officers may use the data admin page.",
    ),
    "admin.tab_accounts": ("账号与大屏", "Accounts & screens"),
    "admin.users": ("账号", "Accounts"),
    "admin.col_role": ("角色", "Role"),
    "admin.col_active": ("状态", "Status"),
    "admin.col_last_seen": ("最近使用", "Last seen"),
    "admin.col_screen": ("大屏名称", "Screen name"),
    "admin.col_created": ("签发", "Issued"),
    "admin.active": ("● 可用", "● Active"),
    "admin.disabled": ("○ 已停用", "○ Disabled"),
    "admin.revoked": ("○ 已吊销", "○ Revoked"),
    "admin.add_user": ("新增账号", "Add an account"),
    "admin.scope_help": (
        "值班员需选择负责的区和/或填写设施编码；其他角色为全市范围，不填",
        "A duty officer needs districts and/or facility codes; other roles are city-wide: "
        "leave them empty",
    ),
    "admin.facilities_help": (
        "设施编码，多个用逗号分隔（如 H0001, S0102）",
        "Facility codes, separated by commas (e.g. H0001, S0102)",
    ),
    "admin.password_help": (
        "至少 10 个字符；请当面或通过安全渠道告知本人",
        "At least 10 characters; give it to the person face to face or through a safe channel",
    ),
    "admin.add_submit": ("新增账号", "Add the account"),
    "admin.change_user": ("停用、启用或重置密码", "Disable, enable or reset a password"),
    "admin.action": ("操作", "Action"),
    "admin.action_disable": ("停用（立即退出登录）", "Disable (signed out at once)"),
    "admin.action_enable": ("启用", "Enable"),
    "admin.action_reset_password": (
        "重置密码（立即退出登录）",
        "Reset the password (signed out at once)",
    ),
    "admin.new_password": ("新密码", "New password"),
    "admin.new_password_help": ("仅重置密码时填写", "Only when resetting the password"),
    "admin.change_submit": ("执行", "Apply"),
    "admin.screens": ("大屏令牌", "Wall-screen tokens"),
    "admin.screens_help": (
        "大屏使用只读令牌登录（登录页“大屏登录”）；令牌只显示一次，吊销后大屏在下次刷新时退出。",
        'Wall screens sign in with a read-only token ("Wall screen" on the sign-in page); '
        "a token is shown once, and revoking it signs the screen out at its next refresh.",
    ),
    "admin.screen_name": (
        "如 hall-1（3–40 个字母、数字、. _ -）",
        "e.g. hall-1 (3–40 letters, digits, . _ -)",
    ),
    "admin.issue": ("签发令牌", "Issue a token"),
    "admin.revoke": ("吊销令牌", "Revoke the token"),
    "admin.token_issued": (
        "已为大屏 {name} 签发令牌。请现在复制，它不会再次显示：",
        "Token issued for screen {name}. Copy it now: it is not shown again:",
    ),
    "admin.tab_import": ("导入", "Import"),
    "admin.tab_export": ("导出与模板", "Export & templates"),
    "admin.kind": ("数据类型", "Kind of data"),
    "admin.file": ("CSV 或 Excel（.xlsx）文件", "CSV or Excel (.xlsx) file"),
    "admin.file_help": (
        "表头可用中文或英文（见模板），列的顺序不限；编码可为 UTF-8 或 GBK。"
        "整个文件先检查，有任何一行有误则不写入任何数据；同一文件导入两次不会产生重复。",
        "Headers in Chinese or English (see the template), in any order; UTF-8 or GBK. The "
        "whole file is checked first: if any row is wrong nothing is written; importing a file "
        "twice makes no duplicates.",
    ),
    "admin.scope_note": (
        "你只能导入本人负责范围内的数据：{scope}",
        "You may import data only within your scope: {scope}",
    ),
    "admin.import": ("导入", "Import"),
    "admin.progress": ("正在检查并写入：{done} 行", "Checking and writing: {done} {done:row|rows}"),
    "admin.problems": ("问题列表", "Problems"),
    "admin.col_row": ("行", "Row"),
    "admin.col_column": ("列", "Column"),
    "admin.col_reason": ("原因", "Reason"),
    "admin.format": ("格式", "Format"),
    "admin.template": ("下载空白模板", "Download an empty template"),
    "admin.template_help": (
        "中英双语表头和一行示例，示例行本身可以直接导入。",
        "Headers in both languages and one example row that itself imports cleanly.",
    ),
    "admin.prepare_export": ("生成导出文件", "Prepare the export"),
    "admin.export": (
        "下载导出文件（{count} 条）",
        "Download the export ({count} {count:record|records})",
    ),
    "admin.export_help": (
        "导出当前记录，格式与导入相同：在表格软件中修改后可直接导回。",
        "The current records in the import format: edit them in a spreadsheet and import "
        "them back.",
    ),
    "admin.failed": ("导入失败：{reason}", "The import failed: {reason}"),
    # The change log page
    "changelog.title": ("变更记录", "Change log"),
    "changelog.refused_role": (
        "只有管理员和领导可以查看变更记录。",
        "Only admins and leadership may see the change log.",
    ),
    "changelog.user": ("用户", "User"),
    "changelog.table": ("记录类型", "Kind of record"),
    "changelog.district": ("区", "District"),
    "changelog.since": ("起始日期", "From"),
    "changelog.until": ("截止日期", "To"),
    "changelog.any": ("全部", "All"),
    "changelog.count": ("共 {count} 条记录", "{count} {count:entry|entries}"),
    "changelog.page": ("页码", "Page"),
    "changelog.col_when": ("时间", "When"),
    "changelog.col_who": ("用户", "Who"),
    "changelog.col_what": ("内容", "What"),
    "changelog.col_action": ("操作", "Action"),
    "changelog.col_changes": ("修改前 → 修改后", "Before → after"),
    "changelog.batch": (
        "批量导入 {rows} 行：新增 {inserted}，更新 {updated}，未变 {unchanged}{file}",
        "Bulk import of {rows} {rows:row|rows}: {inserted} added, {updated} updated, {unchanged} "
        "unchanged{file}",
    ),
    "changelog.batch_plain": ("批量写入 {rows} 行", "Batch of {rows} {rows:row|rows}"),
    "changelog.open_batch": ("打开批量导入", "Open a bulk import"),
    "changelog.batch_rows": ("该批次的 {count} 行", "The batch's {count} {count:row|rows}"),
    "changelog.download": ("下载 CSV", "Download CSV"),
    "changelog.action.insert": ("新增", "added"),
    "changelog.action.update": ("修改", "changed"),
    "changelog.action.delete": ("删除", "deleted"),
    "changelog.none": ("（无）", "(none)"),
}
