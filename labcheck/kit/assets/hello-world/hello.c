/* labcheck stand-in for Docker Hub's hello-world: a static binary without libc that prints
 * the message the lab expects. Built with: cc -static -nostdlib -Os -o hello hello.c */

#if defined(__aarch64__)
#define ARCH_NOTE "arm64v8"
#else
#define ARCH_NOTE "amd64"
#endif

static const char message[] =
    "\n"
    "Hello from Docker!\n"
    "This message shows that your installation appears to be working correctly.\n"
    "(This image is labcheck's offline stand-in for hello-world, served by the classroom kit.)\n"
    "\n"
    "To generate this message, Docker took the following steps:\n"
    " 1. The Docker client contacted the Docker daemon.\n"
    " 2. The Docker daemon pulled the \"hello-world\" image from its registry mirror\n"
    "    (the classroom kit's local registry, standing in for Docker Hub).\n"
    "    (" ARCH_NOTE ")\n"
    " 3. The Docker daemon created a new container from that image which runs the\n"
    "    executable that produces the output you are currently reading.\n"
    " 4. The Docker daemon streamed that output to the Docker client, which sent it\n"
    "    to your terminal.\n"
    "\n"
    "To try something more ambitious, you can run an Ubuntu container with:\n"
    " $ docker run -it ubuntu bash\n"
    "\n"
    "Share images, automate workflows, and more with a free Docker ID:\n"
    " https://hub.docker.com/\n"
    "\n"
    "For more examples and ideas, visit:\n"
    " https://docs.docker.com/get-started/\n"
    "\n";

#if defined(__x86_64__)
static long sys_call3(long number, long a, long b, long c) {
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(number), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return ret;
}
#define SYS_WRITE 1
#define SYS_EXIT 60
#elif defined(__aarch64__)
static long sys_call3(long number, long a, long b, long c) {
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
#define SYS_WRITE 64
#define SYS_EXIT 93
#else
#error "hello.c supports x86_64 and aarch64"
#endif

void _start(void) {
    sys_call3(SYS_WRITE, 1, (long)message, sizeof(message) - 1);
    sys_call3(SYS_EXIT, 0, 0, 0);
    for (;;) {
    }
}
