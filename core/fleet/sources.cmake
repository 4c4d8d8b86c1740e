target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/remoteendpoint.cpp ${CMAKE_CURRENT_LIST_DIR}/remoteendpoint.h
    ${CMAKE_CURRENT_LIST_DIR}/fleetsource.cpp ${CMAKE_CURRENT_LIST_DIR}/fleetsource.h
    ${CMAKE_CURRENT_LIST_DIR}/prometheusclient.cpp ${CMAKE_CURRENT_LIST_DIR}/prometheusclient.h
    ${CMAKE_CURRENT_LIST_DIR}/remotediagnosis.cpp ${CMAKE_CURRENT_LIST_DIR}/remotediagnosis.h
    ${CMAKE_CURRENT_LIST_DIR}/remotesnapshot.cpp ${CMAKE_CURRENT_LIST_DIR}/remotesnapshot.h
    ${CMAKE_CURRENT_LIST_DIR}/remotetimeline.cpp ${CMAKE_CURRENT_LIST_DIR}/remotetimeline.h
)
