from generator.warm import main

main()
