// tests/static/main.cpp
// The empty program every static test links with: the test already passed when it compiled.
int main() { return 0; }
