# conclave_add_subdirs(dir...): adds each listed subdirectory that has a CMakeLists.txt.
function(conclave_add_subdirs)
  foreach(d ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${d}/CMakeLists.txt)
      add_subdirectory(${d})
    endif()
  endforeach()
endfunction()
