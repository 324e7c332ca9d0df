"""Makes kiem-ke-1998.xls, an Excel 97–2003 inventory as old offices kept them.

Run once with xlwt (not a project dependency): `pip install xlwt && python make_kiem_ke_xls.py`.
Sheet "Hiện vật" is Unicode; sheet "Di tich" was typed with the .VnTime (TCVN3) font, so its
cells hold the Windows-1252 characters the font showed; one cell is a formula (=1+1).
"""

from pathlib import Path

import xlwt

TCVN3 = {"Mã di tích": "M· di tÝch", "Tên di tích": "Tªn di tÝch", "Đình Đông Khê": "§×nh §«ng Khª",
         "Chùa Vẽ": "Chïa VÏ", "Xếp hạng": "XÕp h¹ng"}  # fmt: skip

book = xlwt.Workbook(encoding="utf-8")
relics = book.add_sheet("Di tich")
for c, text in enumerate(["Mã di tích", "Tên di tích", "Xếp hạng"]):
    relics.write(0, c, TCVN3[text])
relics.write(1, 0, "DT001")
relics.write(1, 1, TCVN3["Đình Đông Khê"])
relics.write(2, 0, "DT002")
relics.write(2, 1, TCVN3["Chùa Vẽ"])
artifacts = book.add_sheet("Hiện vật")
for c, text in enumerate(["STT", "Mã di tích", "Số kiểm kê", "Tên hiện vật", "Niên đại"]):
    artifacts.write(2, c, text)
artifacts.write(0, 0, "DANH MỤC HIỆN VẬT")
artifacts.write(3, 0, 1)
artifacts.write(3, 1, "DT001")
artifacts.write(3, 2, "HV-001")
artifacts.write(3, 3, "Bát hương gốm men lam")
artifacts.write(3, 4, 1890)
artifacts.write(4, 0, xlwt.Formula("A4+1"))
artifacts.write(4, 1, "DT002")
artifacts.write(4, 2, "HV-001")
artifacts.write(4, 3, "Chuông đồng")
artifacts.write(4, 4, "thời Nguyễn")
book.save(str(Path(__file__).with_name("kiem-ke-1998.xls")))
