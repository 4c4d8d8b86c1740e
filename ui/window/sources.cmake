target_sources(servewatch_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/dashboard.cpp ${CMAKE_CURRENT_LIST_DIR}/dashboard.h
    ${CMAKE_CURRENT_LIST_DIR}/mainwindow.cpp ${CMAKE_CURRENT_LIST_DIR}/mainwindow.h
    ${CMAKE_CURRENT_LIST_DIR}/firstrunpage.cpp ${CMAKE_CURRENT_LIST_DIR}/firstrunpage.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetsources.cpp ${CMAKE_CURRENT_LIST_DIR}/fleetsources.h
    ${CMAKE_CURRENT_LIST_DIR}/sourcebanner.cpp ${CMAKE_CURRENT_LIST_DIR}/sourcebanner.h
)
