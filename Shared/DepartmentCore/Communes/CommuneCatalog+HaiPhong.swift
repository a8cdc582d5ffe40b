/// The communes, wards and townships of Hải Phòng with their GSO codes, as the General Statistics Office listed them
/// on 1 December 2019 (gso.gov.vn, danh mục đơn vị hành chính; read from the snapshot kept by
/// github.com/daohoangson/dvhcvn): the list closest to the 2018 plan year that is published. 223 units: 143 communes
/// (xã), 70 wards (phường), 10 townships (thị trấn); Bạch Long Vĩ (318) has none. Review it against the province's
/// own list before relying on it for another year.
extension CommuneCatalog {
    /// Hải Phòng's communes, wards and townships.
    public static let haiPhong: CommuneCatalog = {
        do {
            return try CommuneCatalog(csv: haiPhongCSV)
        } catch {
            preconditionFailure("the bundled commune list does not read: \(error)")
        }
    }()

    /// `code,district_code,kind,name_vi`; kind is `xa` (commune), `phuong` (ward) or `thi-tran` (township).
    static let haiPhongCSV = """
        code,district_code,kind,name_vi
        11296,303,phuong,Phường Quán Toan
        11299,303,phuong,Phường Hùng Vương
        11302,303,phuong,Phường Sở Dầu
        11305,303,phuong,Phường Thượng Lý
        11308,303,phuong,Phường Hạ Lý
        11311,303,phuong,Phường Minh Khai
        11314,303,phuong,Phường Trại Chuối
        11317,303,phuong,Phường Quang Trung
        11320,303,phuong,Phường Hoàng Văn Thụ
        11323,303,phuong,Phường Phan Bội Châu
        11326,303,phuong,Phường Phạm Hồng Thái
        11329,304,phuong,Phường Máy Chai
        11332,304,phuong,Phường Máy Tơ
        11335,304,phuong,Phường Vạn Mỹ
        11338,304,phuong,Phường Cầu Tre
        11341,304,phuong,Phường Lạc Viên
        11344,304,phuong,Phường Lương Khánh Thiện
        11347,304,phuong,Phường Gia Viên
        11350,304,phuong,Phường Đông Khê
        11353,304,phuong,Phường Cầu Đất
        11356,304,phuong,Phường Lê Lợi
        11359,304,phuong,Phường Đằng Giang
        11362,304,phuong,Phường Lạch Tray
        11365,304,phuong,Phường Đổng Quốc Bình
        11368,305,phuong,Phường Cát Dài
        11371,305,phuong,Phường An Biên
        11374,305,phuong,Phường Lam Sơn
        11377,305,phuong,Phường An Dương
        11380,305,phuong,Phường Trần Nguyên Hãn
        11383,305,phuong,Phường Hồ Nam
        11386,305,phuong,Phường Trại Cau
        11389,305,phuong,Phường Dư Hàng
        11392,305,phuong,Phường Hàng Kênh
        11395,305,phuong,Phường Đông Hải
        11398,305,phuong,Phường Niệm Nghĩa
        11401,305,phuong,Phường Nghĩa Xá
        11404,305,phuong,Phường Dư Hàng Kênh
        11405,305,phuong,Phường Kênh Dương
        11407,305,phuong,Phường Vĩnh Niệm
        11410,306,phuong,Phường Đông Hải 1
        11411,306,phuong,Phường Đông Hải 2
        11413,306,phuong,Phường Đằng Lâm
        11414,306,phuong,Phường Thành Tô
        11416,306,phuong,Phường Đằng Hải
        11419,306,phuong,Phường Nam Hải
        11422,306,phuong,Phường Cát Bi
        11425,306,phuong,Phường Tràng Cát
        11428,307,phuong,Phường Quán Trữ
        11429,307,phuong,Phường Lãm Hà
        11431,307,phuong,Phường Đồng Hoà
        11434,307,phuong,Phường Bắc Sơn
        11437,307,phuong,Phường Nam Sơn
        11440,307,phuong,Phường Ngọc Sơn
        11443,307,phuong,Phường Trần Thành Ngọ
        11446,307,phuong,Phường Văn Đẩu
        11449,307,phuong,Phường Phù Liễn
        11452,307,phuong,Phường Tràng Minh
        11455,308,phuong,Phường Ngọc Xuyên
        11458,308,phuong,Phường Ngọc Hải
        11461,308,phuong,Phường Vạn Hương
        11464,308,phuong,Phường Vạn Sơn
        11465,308,phuong,Phường Minh Đức
        11467,308,phuong,Phường Bàng La
        11737,308,phuong,Phường Hợp Đức
        11683,309,phuong,Phường Đa Phúc
        11686,309,phuong,Phường Hưng Đạo
        11689,309,phuong,Phường Anh Dũng
        11692,309,phuong,Phường Hải Thành
        11707,309,phuong,Phường Hoà Nghĩa
        11740,309,phuong,Phường Tân Thành
        11470,311,thi-tran,Thị trấn Núi Đèo
        11473,311,thi-tran,Thị trấn Minh Đức
        11476,311,xa,Xã Lại Xuân
        11479,311,xa,Xã An Sơn
        11482,311,xa,Xã Kỳ Sơn
        11485,311,xa,Xã Liên Khê
        11488,311,xa,Xã Lưu Kiếm
        11491,311,xa,Xã Lưu Kỳ
        11494,311,xa,Xã Gia Minh
        11497,311,xa,Xã Gia Đức
        11500,311,xa,Xã Minh Tân
        11503,311,xa,Xã Phù Ninh
        11506,311,xa,Xã Quảng Thanh
        11509,311,xa,Xã Chính Mỹ
        11512,311,xa,Xã Kênh Giang
        11515,311,xa,Xã Hợp Thành
        11518,311,xa,Xã Cao Nhân
        11521,311,xa,Xã Mỹ Đồng
        11524,311,xa,Xã Đông Sơn
        11527,311,xa,Xã Hoà Bình
        11530,311,xa,Xã Trung Hà
        11533,311,xa,Xã An Lư
        11536,311,xa,Xã Thuỷ Triều
        11539,311,xa,Xã Ngũ Lão
        11542,311,xa,Xã Phục Lễ
        11545,311,xa,Xã Tam Hưng
        11548,311,xa,Xã Phả Lễ
        11551,311,xa,Xã Lập Lễ
        11554,311,xa,Xã Kiền Bái
        11557,311,xa,Xã Thiên Hương
        11560,311,xa,Xã Thuỷ Sơn
        11563,311,xa,Xã Thuỷ Đường
        11566,311,xa,Xã Hoàng Động
        11569,311,xa,Xã Lâm Động
        11572,311,xa,Xã Hoa Động
        11575,311,xa,Xã Tân Dương
        11578,311,xa,Xã Dương Quan
        11581,312,thi-tran,Thị trấn An Dương
        11584,312,xa,Xã Lê Thiện
        11587,312,xa,Xã Đại Bản
        11590,312,xa,Xã An Hoà
        11593,312,xa,Xã Hồng Phong
        11596,312,xa,Xã Tân Tiến
        11599,312,xa,Xã An Hưng
        11602,312,xa,Xã An Hồng
        11605,312,xa,Xã Bắc Sơn
        11608,312,xa,Xã Nam Sơn
        11611,312,xa,Xã Lê Lợi
        11614,312,xa,Xã Đặng Cương
        11617,312,xa,Xã Đồng Thái
        11620,312,xa,Xã Quốc Tuấn
        11623,312,xa,Xã An Đồng
        11626,312,xa,Xã Hồng Thái
        11629,313,thi-tran,Thị trấn An Lão
        11632,313,xa,Xã Bát Trang
        11635,313,xa,Xã Trường Thọ
        11638,313,xa,Xã Trường Thành
        11641,313,xa,Xã An Tiến
        11644,313,xa,Xã Quang Hưng
        11647,313,xa,Xã Quang Trung
        11650,313,xa,Xã Quốc Tuấn
        11653,313,xa,Xã An Thắng
        11656,313,thi-tran,Thị trấn Trường Sơn
        11659,313,xa,Xã Tân Dân
        11662,313,xa,Xã Thái Sơn
        11665,313,xa,Xã Tân Viên
        11668,313,xa,Xã Mỹ Đức
        11671,313,xa,Xã Chiến Thắng
        11674,313,xa,Xã An Thọ
        11677,313,xa,Xã An Thái
        11680,314,thi-tran,Thị trấn Núi Đối
        11695,314,xa,Xã Đông Phương
        11698,314,xa,Xã Thuận Thiên
        11701,314,xa,Xã Hữu Bằng
        11704,314,xa,Xã Đại Đồng
        11710,314,xa,Xã Ngũ Phúc
        11713,314,xa,Xã Kiến Quốc
        11716,314,xa,Xã Du Lễ
        11719,314,xa,Xã Thuỵ Hương
        11722,314,xa,Xã Thanh Sơn
        11725,314,xa,Xã Minh Tân
        11728,314,xa,Xã Đại Hà
        11731,314,xa,Xã Ngũ Đoan
        11734,314,xa,Xã Tân Phong
        11743,314,xa,Xã Tân Trào
        11746,314,xa,Xã Đoàn Xá
        11749,314,xa,Xã Tú Sơn
        11752,314,xa,Xã Đại Hợp
        11755,315,thi-tran,Thị trấn Tiên Lãng
        11758,315,xa,Xã Đại Thắng
        11761,315,xa,Xã Tiên Cường
        11764,315,xa,Xã Tự Cường
        11767,315,xa,Xã Tiên Tiến
        11770,315,xa,Xã Quyết Tiến
        11773,315,xa,Xã Khởi Nghĩa
        11776,315,xa,Xã Tiên Thanh
        11779,315,xa,Xã Cấp Tiến
        11782,315,xa,Xã Kiến Thiết
        11785,315,xa,Xã Đoàn Lập
        11788,315,xa,Xã Bạch Đằng
        11791,315,xa,Xã Quang Phục
        11794,315,xa,Xã Toàn Thắng
        11797,315,xa,Xã Tiên Thắng
        11800,315,xa,Xã Tiên Minh
        11803,315,xa,Xã Bắc Hưng
        11806,315,xa,Xã Nam Hưng
        11809,315,xa,Xã Hùng Thắng
        11812,315,xa,Xã Tây Hưng
        11815,315,xa,Xã Đông Hưng
        11818,315,xa,Xã Tiên Hưng
        11821,315,xa,Xã Vinh Quang
        11824,316,thi-tran,Thị trấn Vĩnh Bảo
        11827,316,xa,Xã Dũng Tiến
        11830,316,xa,Xã Giang Biên
        11833,316,xa,Xã Thắng Thuỷ
        11836,316,xa,Xã Trung Lập
        11839,316,xa,Xã Việt Tiến
        11842,316,xa,Xã Vĩnh An
        11845,316,xa,Xã Vĩnh Long
        11848,316,xa,Xã Hiệp Hoà
        11851,316,xa,Xã Hùng Tiến
        11854,316,xa,Xã An Hoà
        11857,316,xa,Xã Tân Hưng
        11860,316,xa,Xã Tân Liên
        11863,316,xa,Xã Nhân Hoà
        11866,316,xa,Xã Tam Đa
        11869,316,xa,Xã Hưng Nhân
        11872,316,xa,Xã Vinh Quang
        11875,316,xa,Xã Đồng Minh
        11878,316,xa,Xã Thanh Lương
        11881,316,xa,Xã Liên Am
        11884,316,xa,Xã Lý Học
        11887,316,xa,Xã Tam Cường
        11890,316,xa,Xã Hoà Bình
        11893,316,xa,Xã Tiền Phong
        11896,316,xa,Xã Vĩnh Phong
        11899,316,xa,Xã Cộng Hiền
        11902,316,xa,Xã Cao Minh
        11905,316,xa,Xã Cổ Am
        11908,316,xa,Xã Vĩnh Tiến
        11911,316,xa,Xã Trấn Dương
        11914,317,thi-tran,Thị trấn Cát Bà
        11917,317,thi-tran,Thị trấn Cát Hải
        11920,317,xa,Xã Nghĩa Lộ
        11923,317,xa,Xã Đồng Bài
        11926,317,xa,Xã Hoàng Châu
        11929,317,xa,Xã Văn Phong
        11932,317,xa,Xã Phù Long
        11935,317,xa,Xã Gia Luận
        11938,317,xa,Xã Hiền Hào
        11941,317,xa,Xã Trân Châu
        11944,317,xa,Xã Việt Hải
        11947,317,xa,Xã Xuân Đám
        """
}
