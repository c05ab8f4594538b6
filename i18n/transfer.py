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
        "Imported {kind}: {rows} rows, {inserted} added, {updated} updated, {unchanged} unchanged",
    ),
    "import.refused": (
        "未导入任何数据：文件中有 {count} 处问题",
        "Nothing was imported: the file has {count} problems",
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
        "The row has {count} more cells than the header",
    ),
    # The admin page
    "admin.title": ("数据管理", "Data admin"),
    "admin.refused_role": (
        "只有管理员和值班员可以使用数据管理页面。",
        "Only admins and duty officers may use the data admin page.",
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
    "admin.progress": ("正在检查并写入：{done} 行", "Checking and writing: {done} rows"),
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
    "admin.export": ("下载导出文件（{count} 条）", "Download the export ({count} records)"),
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
    "changelog.count": ("共 {count} 条记录", "{count} entries"),
    "changelog.page": ("页码", "Page"),
    "changelog.col_when": ("时间", "When"),
    "changelog.col_who": ("用户", "Who"),
    "changelog.col_what": ("内容", "What"),
    "changelog.col_action": ("操作", "Action"),
    "changelog.col_changes": ("修改前 → 修改后", "Before → after"),
    "changelog.batch": (
        "批量导入 {rows} 行：新增 {inserted}，更新 {updated}，未变 {unchanged}{file}",
        "Bulk import of {rows} rows: {inserted} added, {updated} updated, {unchanged} "
        "unchanged{file}",
    ),
    "changelog.batch_plain": ("批量写入 {rows} 行", "Batch of {rows} rows"),
    "changelog.open_batch": ("打开批量导入", "Open a bulk import"),
    "changelog.batch_rows": ("该批次的 {count} 行", "The batch's {count} rows"),
    "changelog.download": ("下载 CSV", "Download CSV"),
    "changelog.action.insert": ("新增", "added"),
    "changelog.action.update": ("修改", "changed"),
    "changelog.action.delete": ("删除", "deleted"),
    "changelog.none": ("（无）", "(none)"),
}
