/* Linked against, never loaded: gives ldshim-audit.so a DT_NEEDED on the
 * real ld.so's soname and a definition of __libc_stack_end to bind to. */
void *__libc_stack_end;
