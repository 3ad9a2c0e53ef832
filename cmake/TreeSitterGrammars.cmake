# Fetches tree-sitter grammars from the npm registry at configure time and compiles their
# generated parsers. Nothing third-party is committed: the tarballs land in the build tree.
# tree-sitter-python@0.23.6 ships src/parser.c + src/scanner.c with language ABI 14, which
# Debian's libtree-sitter 0.20.7 accepts.

set(CONCLAVE_GRAMMAR_DIR ${CMAKE_BINARY_DIR}/_deps/grammars)

function(conclave_fetch_grammar NAME VERSION)
  set(dest ${CONCLAVE_GRAMMAR_DIR}/${NAME}-${VERSION})
  if(NOT EXISTS ${dest}/package/src/parser.c)
    find_program(NPM_PROGRAM npm REQUIRED)
    file(MAKE_DIRECTORY ${dest})
    message(STATUS "Fetching ${NAME}@${VERSION} from the npm registry")
    execute_process(
      COMMAND ${NPM_PROGRAM} pack ${NAME}@${VERSION} --silent
      WORKING_DIRECTORY ${dest} RESULT_VARIABLE rc OUTPUT_VARIABLE tarball
      OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "npm pack ${NAME}@${VERSION} failed (${rc})")
    endif()
    execute_process(COMMAND ${CMAKE_COMMAND} -E tar xzf ${tarball}
                    WORKING_DIRECTORY ${dest} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${dest}/package/src/parser.c)
      message(FATAL_ERROR "${NAME}@${VERSION}: no src/parser.c in the package")
    endif()
  endif()
  set(srcs ${dest}/package/src/parser.c)
  if(EXISTS ${dest}/package/src/scanner.c)
    list(APPEND srcs ${dest}/package/src/scanner.c)
  endif()
  string(REPLACE "-" "_" target ${NAME})
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PRIVATE ${dest}/package/src)
  target_compile_options(${target} PRIVATE -w)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

conclave_fetch_grammar(tree-sitter-python 0.23.6)
